KIND="SLO"
def sniff(d): return False
