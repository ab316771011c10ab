"""The base of every config section (the center's and the simulator's)."""

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Unknown keys are errors (a typo is reported, not ignored); values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)
