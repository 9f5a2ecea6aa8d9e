"""Running the dashboard for many users: several ``streamlit run`` processes behind
nginx with sticky sessions, sharing one PostgreSQL store (see the README's "Running for
many users"). ``python -m deploy.local --replicas 2`` starts such a cluster on loopback
ports for tests and demos; the files next to this module are the production examples
(nginx site, systemd unit, Streamlit settings). Nothing here is imported by ``geo/``."""
