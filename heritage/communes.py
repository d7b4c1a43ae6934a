"""Setting up a commune: its site, home and index pages, collection, editor group and workflow.

A commune's editors may add and change pages, images, documents and media only inside their
commune; the city's reviewers see everything and publish through an approval workflow. Running
the set-up again changes nothing that is already right, so it doubles as a repair tool.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import CityHomePage, Commune, HeritageIndexPage, HomePage

REVIEWER_GROUP = "Thẩm định viên thành phố"
WORKFLOW_NAME = "Duyệt nội dung cấp thành phố"
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
REVIEWER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"]
# Images, documents and media are checked against the base models' permissions, whatever model stores them.
COLLECTION_PERMISSIONS = {
    ("wagtailimages", "image"): ["add_image", "change_image", "choose_image"],
    ("wagtaildocs", "document"): ["add_document", "change_document", "choose_document"],
    ("wagtailmedia", "media"): ["add_media", "change_media"],
}
EDITOR_SNIPPET_PERMISSIONS = {("heritage", "source"): ["add_source", "change_source"]}
REVIEWER_SNIPPET_PERMISSIONS = {
    ("heritage", "source"): ["add_source", "change_source", "delete_source"],
    ("heritage", "village"): ["add_village", "change_village", "delete_village"],
    ("heritage", "period"): ["add_period", "change_period", "delete_period"],
    ("heritage", "commune"): ["change_commune"],
}


@dataclass
class CommuneSetup:
    commune: Commune
    home: HomePage
    site: Site
    collection: Collection
    editors: Group


def index_page_types():
    """The index page of every kind of entry, in the order they appear on a home page."""
    types = [cls for cls in _all_subclasses(HeritageIndexPage) if not cls._meta.abstract]
    return sorted(types, key=lambda cls: getattr(cls, "home_order", 100))


def _all_subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _all_subclasses(subclass)


def _permissions(mapping):
    found = []
    for (app_label, model), codenames in mapping.items():
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        found.extend(Permission.objects.filter(content_type=content_type, codename__in=codenames))
    return found


def _page_permission(codename):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _grant_pages(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=_page_permission(codename))


def _grant_collection(group, collection):
    for permission in _permissions(COLLECTION_PERMISSIONS):
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)


def _admin_group(name, extra_permissions):
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *_permissions(extra_permissions),
    )
    return group


def _add_index_pages(parent):
    existing = {type(page) for page in parent.get_children().specific()}
    for index_class in index_page_types():
        if index_class not in existing:
            index = parent.add_child(instance=index_class(title=str(index_class.default_title)))
            index.save_revision().publish()


@transaction.atomic
def setup_city(title, *, hostname="localhost", port=80):
    """Create (or find) the city home page as the default site, its reviewers and their workflow."""
    root = Page.get_first_root_node()
    city = CityHomePage.objects.first()
    if city is None:
        city = root.add_child(instance=CityHomePage(title=title))
        city.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True)
    site.hostname, site.port, site.root_page, site.site_name = hostname, port, city, title
    site.save()
    _add_index_pages(city)
    # Wagtail's install creates a placeholder "Welcome" page under the root; it has no place here.
    Page.objects.filter(depth=2, content_type=ContentType.objects.get_for_model(Page), numchild=0).exclude(
        pk=city.pk
    ).delete()

    reviewers = _admin_group(REVIEWER_GROUP, REVIEWER_SNIPPET_PERMISSIONS)
    _grant_pages(reviewers, city, REVIEWER_PAGE_PERMISSIONS)
    _grant_collection(reviewers, Collection.get_first_root_node())

    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=_("City review")).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=_("City review"))
    task.groups.add(reviewers)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=city, defaults={"workflow": workflow})
    return city


@transaction.atomic
def setup_commune(commune, *, hostname, port=80, parent=None, intro=""):
    """Create (or repair) a commune's home page, index pages, site, collection and editor group."""
    parent = parent or CityHomePage.objects.first() or Page.get_first_root_node()
    home = HomePage.objects.filter(commune=commune).first()
    if home is None:
        home = parent.add_child(instance=HomePage(title=commune.name, commune=commune, intro=intro))
        home.save_revision().publish()

    _add_index_pages(home)

    site, _created = Site.objects.update_or_create(
        root_page=home, defaults={"hostname": hostname, "port": port, "site_name": commune.name}
    )

    root_collection = Collection.get_first_root_node()
    collection = root_collection.get_children().filter(name=commune.name).first()
    if collection is None:
        collection = root_collection.add_child(name=commune.name)

    editors = _admin_group(_("Editors of %(commune)s") % {"commune": commune.name}, EDITOR_SNIPPET_PERMISSIONS)
    _grant_pages(editors, home, EDITOR_PAGE_PERMISSIONS)
    _grant_collection(editors, collection)
    if not WorkflowPage.objects.filter(page__in=home.get_ancestors(inclusive=True)).exists():
        workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
        if workflow:
            WorkflowPage.objects.create(page=home, workflow=workflow)
    return CommuneSetup(commune=commune, home=home, site=site, collection=collection, editors=editors)
