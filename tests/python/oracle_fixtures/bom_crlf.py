"""BOM doc."""
@dec(
    1)
async def f(a,
            b):
    '''multi
    line'''
    return await g(lambda: a)
