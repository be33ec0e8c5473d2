"""Open generative editors (diffusers) and vision-language models (transformers), run locally.

Nothing here imports torch, diffusers or transformers at import time: listing
methods and metrics stays fast, and without the ``local-models`` extra the
methods are listed as unavailable with the install hint (:mod:`.availability`).
"""
