"""Tests of the Streamlit pages."""
