"""Connecticut's 169 towns and the county each lies in (public fact: the state's eight counties,
as listed by the Connecticut State Register and Manual). Written by hand, checked by a test."""

from django.db import migrations

TOWNS_BY_COUNTY = {
    "fairfield": [
        "Bethel", "Bridgeport", "Brookfield", "Danbury", "Darien", "Easton", "Fairfield",
        "Greenwich", "Monroe", "New Canaan", "New Fairfield", "Newtown", "Norwalk", "Redding",
        "Ridgefield", "Shelton", "Sherman", "Stamford", "Stratford", "Trumbull", "Weston",
        "Westport", "Wilton",
    ],
    "hartford": [
        "Avon", "Berlin", "Bloomfield", "Bristol", "Burlington", "Canton", "East Granby",
        "East Hartford", "East Windsor", "Enfield", "Farmington", "Glastonbury", "Granby",
        "Hartford", "Hartland", "Manchester", "Marlborough", "New Britain", "Newington",
        "Plainville", "Rocky Hill", "Simsbury", "South Windsor", "Southington", "Suffield",
        "West Hartford", "Wethersfield", "Windsor", "Windsor Locks",
    ],
    "litchfield": [
        "Barkhamsted", "Bethlehem", "Bridgewater", "Canaan", "Colebrook", "Cornwall", "Goshen",
        "Harwinton", "Kent", "Litchfield", "Morris", "New Hartford", "New Milford", "Norfolk",
        "North Canaan", "Plymouth", "Roxbury", "Salisbury", "Sharon", "Thomaston", "Torrington",
        "Warren", "Washington", "Watertown", "Winchester", "Woodbury",
    ],
    "middlesex": [
        "Chester", "Clinton", "Cromwell", "Deep River", "Durham", "East Haddam", "East Hampton",
        "Essex", "Haddam", "Killingworth", "Middlefield", "Middletown", "Old Saybrook",
        "Portland", "Westbrook",
    ],
    "new_haven": [
        "Ansonia", "Beacon Falls", "Bethany", "Branford", "Cheshire", "Derby", "East Haven",
        "Guilford", "Hamden", "Madison", "Meriden", "Middlebury", "Milford", "Naugatuck",
        "New Haven", "North Branford", "North Haven", "Orange", "Oxford", "Prospect", "Seymour",
        "Southbury", "Wallingford", "Waterbury", "West Haven", "Wolcott", "Woodbridge",
    ],
    "new_london": [
        "Bozrah", "Colchester", "East Lyme", "Franklin", "Griswold", "Groton", "Lebanon",
        "Ledyard", "Lisbon", "Lyme", "Montville", "New London", "North Stonington", "Norwich",
        "Old Lyme", "Preston", "Salem", "Sprague", "Stonington", "Voluntown", "Waterford",
    ],
    "tolland": [
        "Andover", "Bolton", "Columbia", "Coventry", "Ellington", "Hebron", "Mansfield",
        "Somers", "Stafford", "Tolland", "Union", "Vernon", "Willington",
    ],
    "windham": [
        "Ashford", "Brooklyn", "Canterbury", "Chaplin", "Eastford", "Hampton", "Killingly",
        "Plainfield", "Pomfret", "Putnam", "Scotland", "Sterling", "Thompson", "Windham",
        "Woodstock",
    ],
}


def load_towns(apps, schema_editor):
    Town = apps.get_model("organizations", "Town")
    for county, towns in TOWNS_BY_COUNTY.items():
        for name in towns:
            Town.objects.update_or_create(name=name, defaults={"county": county})


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_people_psas_applications")]

    operations = [migrations.RunPython(load_towns, migrations.RunPython.noop)]
