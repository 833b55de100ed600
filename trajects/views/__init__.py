"""The pages of trajectories, one module per role or concern; `trajects.urls` names them."""
