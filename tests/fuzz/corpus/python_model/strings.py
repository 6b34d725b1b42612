x = f"{f'{y}'}" + rb'\'' + """
"" """ \
  + 1
if x:
	def h(): pass
s = t'{a!s}' u'\N{DASH}' 'unterminated
