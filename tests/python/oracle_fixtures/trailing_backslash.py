def f():
    pass
    \

