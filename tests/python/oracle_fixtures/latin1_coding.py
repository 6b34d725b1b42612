# -*- coding: latin-1 -*-
def café():
    "été"
    return lambda: "é"
@d
class A: pass
