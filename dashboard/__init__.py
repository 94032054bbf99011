"""Streamlit investigation dashboard: one st.navigation router (app.py) and thin pages."""
