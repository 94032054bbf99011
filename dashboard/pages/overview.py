"""总览 Overview: what the graph holds."""

import pandas as pd
import streamlit as st

from dashboard.data import status_or_message

st.title("信用图谱 总览")
status = status_or_message()
if status is not None:
    st.caption(f"{status['backend']} · {status['version']} · {status['location']}")
    nodes = pd.DataFrame(
        {"label": list(status["nodes"]), "count": list(status["nodes"].values())}
    )
    rels = pd.DataFrame(
        {"type": list(status["relationships"]), "count": list(status["relationships"].values())}
    )
    left, right = st.columns(2)
    left.subheader("节点 Nodes")
    left.dataframe(nodes, hide_index=True, width="stretch")
    right.subheader("关系 Relationships")
    right.dataframe(rels, hide_index=True, width="stretch")
    if not sum(status["nodes"].values()):
        st.info("图谱为空，请先导入数据。 The graph is empty: load data first.")
