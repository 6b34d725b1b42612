def f(a,
      b=[1, {2: (3,
      4)}]):
    return a[
  1]
x = (
# c
)
