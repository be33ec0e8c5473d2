"""Google's Gemini image models ("Nano Banana") through ``google-genai``.

``config`` holds the model ids, ``keys`` finds the API key (never stored),
``client`` makes one cancellable, retried request, and ``method`` wraps it as
the ``gemini`` restoration method. google-genai is imported only inside
``client`` functions.
"""
