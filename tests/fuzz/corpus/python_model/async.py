import asyncio

@decorator(arg=lambda: 1)
async def main(a, b=lambda x: x):
    """Doc."""
    async with asyncio.TaskGroup() as tg:
        tg.create_task(f'{await g()!r:>{w}}')
    async for x in aiter():
        await asyncio.sleep(0)
    return await asyncio.gather(a, b)
