"""Module doc."""  # trailing comment
import asyncio
x = f"{'a'!r:>{10}} {x=!s:^{w}.{p}f} {{esc}} {f'{y:{z}}'} {'''tri'''}"
y = f'''
head {x
  } mid {  (lambda: 1)()  }
   {d["k"]:>5}
tail'''
z = rb'\'' Rb"\\" BR'''x'''; zz = fR'{x}\{y}' Rf"\N{BULLET} {q}"
@ decorator . attr (  # comment in decorator
    lambda a, b=lambda: 0: a,  # lambda in decorator
)
@other
async def coro(a=lambda q: (q,
                            q), *, b: "ann" = 1) -> "ret":
    ("doc"
     # interleaved comment
     'part two')
    async with asyncio.TaskGroup() as tg:
        tg.create_task(x)
    r = [i async for i in aiter() if await i]
    await asyncio . gather (
        a,  # asyncio.gather(b)
        b) ; s = await asyncio.create_task(c())
    class Inner(Base, metaclass=lambda *a: type(*a)):
        'inner doc'
        def m(self): return (lambda: self)
        key = sorted(xs, key=lambda v: v[0])[lambda: 1:2]
    return {k: lambda: v for k, v in d.items()}, Inner; 
def simple(): x = 1; y = 2;
class E: pass
if True:
    def nested():
        '''doc'''
        pass
        # comment at deeper indent

	# tab-indented comment
else: pass
lam = lambda: (yield)
with lambda: 1 as f: pass
d = {lambda: 1: 2, 3: lambda: lambda: 4}
t = asyncio.TaskGroup ()
u = x.asyncio.gather(1)
def TaskGroup(): return TaskGroup()
w = 1 if x else \
    2
aa = 0x1f; bb = 1e+5j; cc = 1_000.5; dd = .5
