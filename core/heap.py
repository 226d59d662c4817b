"""Keep the garbage collector's full passes short in a long-running server."""

import gc
import logging
import time

log = logging.getLogger(__name__)


def freeze_startup_objects(what: str) -> None:
    """Put everything allocated so far out of the collector's reach.

    A full collection walks every tracked object while holding the GIL. Once MLflow,
    LangGraph (and Gradio, for the console) are imported that is millions of objects, and
    each full pass stalls the serving threads for a couple of hundred milliseconds — seen
    as a p99 spike in predictions. What start-up builds lives as long as the process, so it
    is frozen (`gc.freeze`); later passes walk only what requests create. A serving process
    freezes again once it has loaded models after start-up (`ml.serving.fleet`): a champion
    and the libraries it imported live until it is replaced.
    """
    began = time.perf_counter()
    gc.collect()
    gc.freeze()
    log.info("%s: %d start-up objects frozen in %.0f ms", what, gc.get_freeze_count(),
             (time.perf_counter() - began) * 1000)
