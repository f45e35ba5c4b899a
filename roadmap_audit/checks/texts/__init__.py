"""What findings say: the sentences of each check's messages, evidence notes and fixes.

A check selects and measures; the module here of the same name words what it found, so the
wording can be read (and changed) in one place without the selection around it.
"""
