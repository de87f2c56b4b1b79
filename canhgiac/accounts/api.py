from ninja import Router, Schema

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    agency: (
        str | None
    )  # the code every API endpoint takes where it asks for an agency; None for national roles
    province: str | None  # the agency's province (`vietnam-provinces` codename)
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
        "memberships": [
            {
                "agency": m.agency.code if m.agency_id else None,
                "province": m.agency.province.codename if m.agency_id else None,
                "role": m.role,
            }
            for m in user.active_memberships()
        ],
    }
