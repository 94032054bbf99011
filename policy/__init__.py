"""What the policy fixes, shared by loaders, seed and every service: working days by the State
Council's calendar (七天双公示 deadlines, repair and publication windows) and the words of list
types, measures and relations (``vocabulary.yaml``)."""
