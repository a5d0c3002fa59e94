"""The domain's rules, each defined once: indicators and the criterion-8 result, which
units are in the programme, unit codes and versions, and name folding.

Nothing here reads a user's file or draws anything; every other stage imports its
rules from here.
"""
