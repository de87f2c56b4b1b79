from ninja import Router, Schema

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    agency: str
    role: str


class MeOut(Schema):
    username: str
    full_name: str
    memberships: list[MembershipOut]


@router.get("/me", response=MeOut)
def me(request):
    user = request.user
    return {
        "username": user.username,
        "full_name": user.full_name,
        "memberships": [{"agency": m.agency.code, "role": m.role} for m in user.active_memberships()],
    }
