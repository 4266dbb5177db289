"""Rules-as-code: dated legal parameters, holiday calendars and deadline arithmetic.

Pure Python by design (STYLE-ANCHORS §5.7): nothing in this package may import Django, so the
rules can be tested, reviewed and reused without a database. Models and services elsewhere
turn database rows into the plain values these functions take.
"""
