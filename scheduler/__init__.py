"""Time: pure scheduling logic (no telegram) and the jobs PTB's JobQueue runs."""
