async def f():
    await x
    # commentdef g(): pass
