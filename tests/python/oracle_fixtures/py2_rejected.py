print "python 2"
async = 1
