"""What is happening in people's lives.

Life events, journeys, the to-do list and changes of circumstances: filled by the
Journeys issue.
"""
