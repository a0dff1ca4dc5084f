from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from finsam import services
from finsam.models import Contribution, Member, MemberKind
from tests import factories


@pytest.fixture
def three_kommuner(db):
    return {
        "fk": factories.member(name="Försäkringskassan", kind=MemberKind.FORSAKRINGSKASSAN),
        "af": factories.member(name="Arbetsförmedlingen", kind=MemberKind.ARBETSFORMEDLINGEN),
        "region": factories.member(name="Region Testland", kind=MemberKind.REGION),
        "a": factories.member(name="Akommun", population=10_000),
        "b": factories.member(name="Bkommun", population=20_000),
        "c": factories.member(name="Ckommun", population=30_001),
    }


def amounts(shares):
    return {share.member.name: share.amount for share in shares}


def test_an_awkward_total_splits_into_whole_kronor_that_add_up_exactly(three_kommuner):
    shares = services.contribution_split(Decimal("3000001"), three_kommuner.values())
    result = amounts(shares)

    assert sum(result.values()) == Decimal("3000001")
    assert all(a == a.to_integral_value() for a in result.values())
    # Exact: FK 1 500 000,50; region 750 000,25; kommunernas 750 000,25 by
    # population: A 124 997,96, B 249 995,92, C 375 006,37. Rounded down they
    # leave 3 kronor, which go to the largest remainders: A, B and FK.
    assert result == {
        "Försäkringskassan": Decimal("1500001"),
        "Region Testland": Decimal("750000"),
        "Akommun": Decimal("124998"),
        "Bkommun": Decimal("249996"),
        "Ckommun": Decimal("375006"),
    }


def test_arbetsformedlingen_pays_through_the_state_share(three_kommuner):
    shares = services.contribution_split(4_000_000, three_kommuner.values())

    assert "Arbetsförmedlingen" not in amounts(shares)
    assert amounts(shares)["Försäkringskassan"] == Decimal("2000000")


@pytest.mark.parametrize("total", [1, 2, 7, 999_999, 3_000_001, 12_345_679])
def test_every_total_is_split_without_a_krona_lost_or_gained(three_kommuner, total):
    shares = services.contribution_split(total, three_kommuner.values())

    assert sum(s.amount for s in shares) == total
    assert all(abs(s.amount - Decimal(s.exact.numerator) / s.exact.denominator) < 1 for s in shares)


def test_two_regions_share_the_regional_quarter_equally(three_kommuner):
    factories.member(name="Region Andra", kind=MemberKind.REGION)
    members = list(Member.objects.all())
    result = amounts(services.contribution_split(4_000_000, members))

    assert result["Region Testland"] == result["Region Andra"] == Decimal("500000")


def test_a_total_in_ore_is_refused_in_swedish(three_kommuner):
    with pytest.raises(ValidationError, match="hela kronor"):
        services.contribution_split(Decimal("100.50"), three_kommuner.values())


def test_a_federation_without_a_region_cannot_split(three_kommuner):
    members = [m for key, m in three_kommuner.items() if key != "region"]
    with pytest.raises(ValidationError, match="saknar medlem av typen region"):
        services.contribution_split(1_000_000, members)


def test_setting_a_years_contributions_replaces_the_previous_split(three_kommuner, persona_users):
    actor = persona_users["ekonomi"]
    services.contributions_set_for_year(actor=actor, year=2026, total=1_000_000)
    services.contributions_set_for_year(actor=actor, year=2026, total=3_000_001)

    rows = Contribution.objects.filter(year=2026)
    assert rows.count() == 5
    assert sum(r.amount for r in rows) == Decimal("3000001")


def test_the_contributions_page_shows_each_members_part_in_swedish_format(three_kommuner, ekonomi):
    response = ekonomi.post(
        reverse("administration:contributions"), {"year": 2026, "total": "3000001"}, follow=True
    )

    assert response.status_code == 200
    text = response.content.decode().replace("\xa0", " ")
    assert "1 500 001 kr" in text
    assert "249 996 kr" in text
    assert "3 000 001 kr" in text
    assert "Medlemsbidragen för 2026 är fördelade." in text


def test_a_kommun_must_have_a_population_to_be_saved(db, persona_users):
    kommun = Member(name="Ny kommun", kind=MemberKind.KOMMUN)

    with pytest.raises(ValidationError, match="En kommun måste ha folkmängd"):
        services.member_save(actor=persona_users["ekonomi"], member=kommun)
    assert not Member.objects.filter(name="Ny kommun").exists()


def test_a_split_that_cannot_be_made_says_why_and_writes_nothing(three_kommuner, ekonomi):
    three_kommuner["region"].delete()

    response = ekonomi.post(
        reverse("administration:contributions"), {"year": 2026, "total": "100000"}
    )

    assert response.status_code == 200
    assert "Förbundet saknar medlem av typen region." in response.content.decode()
    assert not Contribution.objects.exists()
