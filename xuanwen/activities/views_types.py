"""The activity-type page: admins add types and retire them."""

from django.utils.translation import gettext_lazy as _lazy

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_manage_scope
from xuanwen.records.pages import Catalogue

from . import services
from .models import ActivityType


def may_manage_types(user: User) -> bool:
    return can_manage_scope(user)


# Types are shared by the whole deployment, not records of a unit: every admin sees all.
TYPES = Catalogue(
    model=ActivityType,
    arg="kind",
    create=services.activity_type_create,
    set_active=services.activity_type_set_active,
    may_manage=may_manage_types,
    refused=_lazy("只有系统管理员可以管理活动类型。"),
    missing=_lazy("没有这个活动类型。"),
    added=_lazy("已添加活动类型“%(name)s”。"),
    template="activities/types.html",
    url="activities:types",
    title=_lazy("活动类型"),
    crumb=("activities:list", _lazy("活动")),
)
activity_types, activity_type_active = TYPES.views()
