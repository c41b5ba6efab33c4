"""Staff pages that span apps: the customer 360° page and the system status page."""
