"""Scheduled audits: lint runs stored with history, new and resolved findings, alerts."""
