"""/api/v1/subjects. Links and networks (subjects.network.api) are mounted here; the entity
endpoints join them on this router."""

from ninja import Router

from canhgiac.subjects.network.api import router as network_router

prefix = "/subjects"
router = Router(tags=["subjects"])
router.add_router("", network_router)
