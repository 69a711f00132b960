"""What people look at: terminal summaries, status, and the HTML report."""
