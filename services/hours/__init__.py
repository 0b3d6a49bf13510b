"""Opening hours: the week a caseworker fills in (`week`), and whether a place is
open at a given moment (`clock`). Pages, handouts, the admin and the open data
all read hours through these two modules."""
