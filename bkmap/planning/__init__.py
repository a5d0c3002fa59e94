"""Planning new commune radio stations: the budgeted integer program and village siting."""
