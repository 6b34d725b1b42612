# A module with no code at all.

# Just comments.
