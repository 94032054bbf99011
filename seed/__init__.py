"""Synthetic Hangzhou credit data in the loaders' input format. (Issue: seed data.)"""
