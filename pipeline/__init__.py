"""A run's decisions between the layers: what to fetch, its session with the UN's services, what it keeps, the settings files it reads."""
