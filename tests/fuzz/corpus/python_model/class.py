class A(B, metaclass=M):
    x: int = 1
    def f(self): return (lambda: self)()
    @property
    def g(self):
        '''x
        y'''
        # c
        pass
