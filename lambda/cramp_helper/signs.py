"""The warning-sign ids: one vocabulary for the interpreter, the lexicons, triage and the NLU corpora.

An id names what the person noticed, never how urgent it is: triage owns the levels (issue 18).
tests/nlu/README.md lists the same ids with their everyday meaning; a test keeps the two in step.
"""

from __future__ import annotations

LEG = ("SWOLLEN", "RED", "WARM", "DARKER", "HARD_VEINS", "TENDER", "ONE_LEG_BIGGER", "CLOT", "WONT_STOP")
BLOOD_SUPPLY = ("BLUE_GREY_WHITE", "COLD", "PALE", "NUMB", "CANT_MOVE_LEG")
NERVES = ("WEAK", "SUDDEN_WEAKNESS", "BACK_PAIN", "SADDLE_NUMB", "BLADDER_BOWEL", "FACE_DROOP", "ARM_WEAK",
          "SPEECH")
HEART_AND_LUNGS = ("CHEST_PAIN", "BREATHLESS", "COUGHING_BLOOD", "FAINT", "DIZZY", "RACING_HEART", "SWEATING",
                   "SICK", "ARM_PAIN", "NECK_JAW_PAIN", "UPPER_BACK_PAIN")
MUSCLES = ("COMPARTMENT", "INJURY", "CAST", "WOUND", "STIFF_JAW", "SPASMS_SPREADING", "DARK_URINE",
           "VOMITING", "DIARRHOEA", "HEAVY_SWEATING", "FEVER")
CIRCULATION = ("RELIEF_HANGING", "WALKING_PAIN")
FALLS = ("FELL", "HIT_HEAD", "CANT_GET_UP", "BLOOD_THINNER")
CONTEXT = ("PREGNANT", "NEW_STATIN", "NEW_WATER_PILL", "DIALYSIS", "LIVER", "DIABETES")

ALL = frozenset(LEG + BLOOD_SUPPLY + NERVES + HEART_AND_LUNGS + MUSCLES + CIRCULATION + FALLS + CONTEXT)

# What a person in distress says (DistressIntent's Kind ids); triage gives each its line.
DISTRESS_KINDS = ("GENERAL", "SERIOUS", "DYING", "UNBEARABLE", "CANT_MOVE", "DIZZY", "SCARED", "HOSPITAL")
