"""Normalisers shared by every backend and by the task schemas: codes, pay, dates, degrees."""
