"""What is happening in people's lives: life events, journeys, the to-do list, changes of circumstances. Filled by the Journeys issue."""
