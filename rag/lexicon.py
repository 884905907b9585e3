"""Words that news reporting uses interchangeably, so that a question worded differently from its source
sentence still shares terms with it ("truce" / "ceasefire", "premier" / "prime minister").

Each group is a set of surface phrases; ``rag.text.terms`` maps every member to the group's first one. Groups
are general English of conflict and diplomacy reporting, not the wording of any particular article: a word
with a common unrelated sense ("state", "return", "open") is left out rather than conflated.
"""

from __future__ import annotations

SYNONYMS: tuple[tuple[str, ...], ...] = (
    # conflict
    ("ceasefire", "truce", "cease-fire", "armistice"),
    ("airstrike", "air strike", "aerial attack", "aerial strike", "air raid", "aerial bombardment",
     "aerial bombing"),
    ("attack", "assault"),
    ("drone", "unmanned aerial", "unmanned aircraft", "uav"),
    ("abandon", "abandoned", "walk out of", "walked out of", "pull out of", "pulled out of", "withdraw from",
     "withdrew from", "quit"),
    ("push back", "pushed back", "drive out", "drove out", "driven out"),
    ("fatwa", "religious edict", "religious decree", "edict"),
    ("seminary", "seminaries", "religious school", "religious schools", "madrasa", "madrassa", "madrasah"),
    ("leverage", "bargaining chip", "bargaining power"),
    ("official figures", "government figures", "official statistics", "government statistics", "official data",
     "government data"),
    ("infiltration", "infiltrations", "incursion", "incursions", "infiltrate", "infiltrated", "intrusion",
     "intrusions", "sneak across", "sneaked across", "snuck across", "sneak into", "slip across", "slipped across"),
    ("militant", "fighter", "insurgent", "armed group", "gunman", "gunmen", "armed men"),
    ("soldier", "troop", "serviceman", "servicemen", "security personnel"),
    ("military", "armed forces", "army"),
    ("kill", "killed", "dead", "death", "die", "died", "martyr", "martyred", "martyrdom", "fatality",
     "fatalities", "lost their lives"),
    ("wounded", "injured", "wound", "injure", "injury", "injuries"),
    ("violation", "breach", "infringement", "violate", "violated", "violating", "breached", "infringe",
     "infringed"),
    ("hideout", "sanctuary", "sanctuaries", "safe haven", "hiding place"),
    ("border", "frontier"),
    ("clash", "skirmish", "exchange of fire", "firefight", "gunfight", "gun battle", "gunbattle"),
    ("explosion", "blast", "detonation"),
    ("bombing", "bombardment", "bombard", "bombarded", "shelling", "shelled"),
    ("jet", "warplane", "fighter jet", "combat aircraft", "military aircraft"),
    ("destroy", "destroyed", "wreck", "wrecked", "raze", "razed", "demolish", "demolished", "flatten", "flattened"),
    ("banned", "outlawed", "proscribed"),
    ("first", "initial"),
    ("recorded", "counted", "tallied", "registered", "documented"),
    ("resource-rich", "mineral-rich", "mineral-wealthy", "resource rich", "mineral rich"),
    ("refugee", "displaced"),
    ("jailed", "jail", "imprisoned", "imprison", "in prison", "behind bars", "incarcerated"),
    ("merge", "merged", "merger", "amalgamate", "amalgamated", "amalgamation", "integrate", "integrated",
     "integration", "folded into"),
    ("restore", "restored", "reinstate", "reinstated", "reinstatement", "restoration"),
    ("conduct", "conducted", "carry out", "carried out", "carrying out"),
    ("family", "families", "household", "households"),
    ("student", "pupil", "schoolchildren"),
    ("seize", "seized", "seizure", "recover", "recovered", "confiscate", "confiscated", "capture", "captured"),
    ("post", "outpost", "checkpost"),
    ("unprovoked", "without provocation"),
    ("fired at", "shot at", "opened fire on", "opened fire at"),
    ("pledged allegiance", "pledge allegiance", "swore allegiance", "swear allegiance", "sworn allegiance",
     "swore loyalty", "swear loyalty", "sworn loyalty", "pledged loyalty", "pledge loyalty"),
    ("deport", "deportation", "expel", "expulsion", "repatriate", "repatriation", "sent back", "send back",
     "sent home", "send home", "forcibly returned"),
    ("extremist", "jihadist", "radical"),
    ("ttp", "pakistani taliban", "pakistan taliban", "tehrik-e-taliban pakistan", "tehreek-e-taliban pakistan",
     "taliban pakistan"),
    ("shelter", "harbour", "harbor"),
    ("fund", "funded", "funding", "finance", "financed", "financing", "bankroll", "bankrolled", "bankrolling",
     "sponsor", "sponsored", "sponsors"),
    ("foreign", "abroad", "overseas"),
    ("motivated", "driven", "inspired"),
    ("capability", "capabilities", "capacity", "capacities", "strength"),
    ("rival", "archrival", "arch-rival", "adversary", "foe"),
    # diplomacy
    ("talks", "negotiation", "negotiations", "discussion", "discussions", "dialogue"),
    ("delegation", "negotiating team", "delegate", "delegates"),
    ("mediate", "mediation", "mediator", "broker", "brokered", "facilitate", "facilitated", "go-between",
     "intermediary", "intermediaries"),
    ("agreement", "deal", "accord", "pact"),
    ("foreign minister", "top diplomat", "chief diplomat"),
    ("prime minister", "premier"),
    ("ambassador", "envoy", "emissary"),
    ("spokesperson", "spokesman", "spokeswoman", "spokesmen"),
    ("foreign ministry", "foreign office", "ministry of foreign affairs"),
    ("defense minister", "defence minister", "defence chief", "defense chief"),
    ("interior minister", "internal security chief", "interior chief", "home minister"),
    ("interior", "internal security", "domestic security", "internal affairs", "home affairs"),
    ("army chief", "military chief", "chief of army staff", "head of the army"),
    ("meeting", "gathering"),
    ("monitor", "monitoring", "oversee", "overseeing", "supervise", "supervising", "supervision"),
    ("mechanism", "arrangement", "framework"),
    ("investigate", "investigation", "probe", "probing", "inquiry"),
    ("plan", "scheme", "blueprint"),
    ("phase", "stage"),
    ("home country", "homeland", "country of origin"),
    ("government", "administration", "authorities", "rulers", "regime"),
    ("remove", "removed", "removal", "oust", "ousted", "ouster", "topple", "toppled", "depose", "deposed", "unseat",
     "unseated", "forced out of office", "forced from office", "pushed out of office", "forced out of power",
     "pushed out of power", "forced out of the premiership", "pushed out of the premiership"),
    ("champion", "championed", "advocate", "advocated"),
    ("accuse", "accused", "blame", "blamed", "allege", "alleged"),
    ("urge", "urged", "demand", "demanded", "call on", "call for", "calling for", "calling on"),
    ("stop", "halt", "cease", "end"),
    ("major", "large-scale", "full-scale", "massive"),
    ("immediately", "at once", "instantly", "forthwith", "without delay"),
    ("country", "nation"),
    ("lead", "led", "head", "headed", "chair", "chaired", "leader", "chief"),
    ("journalist", "reporter", "correspondent"),
    ("news outlet", "news site", "news website", "media outlet"),
    ("co-founded", "co-established", "co-founder"),
    ("analyst", "expert", "observer", "commentator", "pundit"),
    ("core", "heart", "crux"),
    ("announce", "announced", "declare", "declared"),
    ("kidnap", "kidnapped", "abduct", "abducted"),
    ("group", "organisation", "organization", "outfit", "faction"),
    ("space", "room"),
    ("suited", "suitable", "well placed", "best placed"),
    ("lack", "lacks", "lacked", "lacking", "missing", "short of", "devoid of"),
    ("raise questions", "raised questions", "raising questions", "cast doubt", "casts doubt", "casting doubt",
     "call into question", "called into question"),
    ("signal", "signalled", "signaled", "indicate", "indicated", "hint", "hinted"),
    ("describe", "described", "characterise", "characterised", "characterize", "characterized", "portray",
     "portrayed"),
    ("parliament", "national assembly"),
    ("provincial assembly", "provincial legislature", "provincial parliament"),
    ("speaker", "presiding officer", "presides over", "presided over"),
    ("lawmaker", "legislator", "parliamentarian"),
    ("close", "closed", "closure", "shut", "shutdown"),
    ("truck", "lorry", "lorries"),
)

# British and American spellings.
SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("program", "programme"), ("center", "centre"), ("defense", "defence"), ("offense", "offence"),
    ("neighbor", "neighbour"), ("neighboring", "neighbouring"), ("labor", "labour"), ("favor", "favour"),
    ("honor", "honour"), ("armor", "armour"), ("rumor", "rumour"), ("behavior", "behaviour"),
    ("endeavor", "endeavour"), ("license", "licence"), ("recognize", "recognise"), ("recognized", "recognised"),
    ("criticize", "criticise"), ("criticized", "criticised"), ("mobilize", "mobilise"),
    ("stabilize", "stabilise"), ("apologize", "apologise"), ("emphasize", "emphasise"),
    ("emphasized", "emphasised"), ("prioritize", "prioritise"), ("legalize", "legalise"),
    ("jeopardize", "jeopardise"), ("traveled", "travelled"), ("canceled", "cancelled"), ("fueled", "fuelled"),
    ("counselor", "counsellor"), ("catalog", "catalogue"), ("dialog", "dialogue"), ("analyze", "analyse"),
    ("paralyze", "paralyse"), ("militarize", "militarise"), ("normalize", "normalise"),
)

# A people's name for its country. Term matching unifies these too, but keyword search does not add them:
# the country names are in nearly every passage, and doubling them drowns the question's rarer words.
DEMONYMS: tuple[tuple[str, ...], ...] = (
    ("pakistan", "pakistani"),
    ("afghanistan", "afghan"),
    ("qatar", "qatari"),
    ("turkey", "turkiye", "türkiye", "turkish"),
    ("us", "united states", "american"),
    ("india", "indian"),
    ("china", "chinese"),
    ("iran", "iranian"),
    ("saudi arabia", "saudi"),
    ("russia", "russian"),
    ("uk", "united kingdom", "britain", "british"),
)

# A capital in the possessive stands for its government's country ("Islamabad's top diplomat").
CAPITALS: dict[str, str] = {
    "islamabad": "pakistan", "kabul": "afghanistan", "doha": "qatar", "ankara": "turkey", "tehran": "iran",
    "beijing": "china", "moscow": "russia", "washington": "united states", "riyadh": "saudi arabia",
    "delhi": "india", "london": "britain", "paris": "france", "berlin": "germany",
    "rawalpindi": "pakistan",  # not a capital, but news says "Rawalpindi" for the army headquartered there
}

# Cities where talks, summits and meetings are held: a question about "the Istanbul talks" is not answered
# by a passage set in Doha.
CITIES: frozenset[str] = frozenset(CAPITALS) | {
    "istanbul", "dubai", "abu dhabi", "jeddah", "geneva", "vienna", "brussels", "oslo", "cairo", "new york",
    "karachi", "lahore", "peshawar", "quetta", "kandahar", "jalalabad", "herat", "mumbai", "kuala lumpur",
}
# Countries that host talks, and the country of each such city: "the talks hosted in Turkey" are the Istanbul talks.
HOST_COUNTRIES: dict[str, str] = {"turkey": "turkey", "turkiye": "turkey", "türkiye": "turkey", "qatar": "qatar",
                                  "saudi arabia": "saudi arabia", "switzerland": "switzerland"}
CITY_COUNTRIES: dict[str, str] = {**CAPITALS, "istanbul": "turkey", "jeddah": "saudi arabia", "geneva": "switzerland"}
