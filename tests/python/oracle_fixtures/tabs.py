if x:
	def f():
		if y:
			return 1
		return 2
	class C:
		"doc"
else:
        z = 1
