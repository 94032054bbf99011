"""Thin routers: each parses, checks access, calls one service function and shapes the answer."""
