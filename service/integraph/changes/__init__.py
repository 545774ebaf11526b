"""Changes made through the service rather than by loading files: element mutations,
decisions and waivers, the review workflow, and the audit trail that records each of them."""
