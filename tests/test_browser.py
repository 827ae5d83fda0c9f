"""A new user in a real browser: start a profile, answer prompts, add a photo, get the PDF.

Every page visited is checked with axe-core; a serious or critical violation fails.
"""

from __future__ import annotations

import io
import shutil
import threading
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader
from werkzeug.serving import make_server

from .conftest import PASSWORD, build_app, inspecting, require_service

# A review date always in the future, whenever the tests run.
NEXT_YEAR = str(date.today().year + 1)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def read_whole(file, block_size=8192):
    """A file sent as one piece, read and closed at once (see files_closed_at_once)."""
    with file:
        return [file.read()]


def files_closed_at_once(app):
    """The app with every file it sends (a stylesheet, a font) read whole and closed before
    the response starts.

    The development server leaves a file open when a browser drops the connection while
    it is sent (as Chromium does when it moves on to the next page), and the warning it
    then gives fails the test; a real server (gunicorn) closes it.
    """

    def serve(environ, start_response):
        environ["wsgi.file_wrapper"] = read_whole
        return app(environ, start_response)

    return serve


@pytest.fixture
def live_server(database_url):
    """The app on a free local port, with CSRF protection on as in real use."""
    app = build_app(database_url, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, files_closed_at_once(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    with inspecting(app):
        from profiles.extensions import db

        db.engine.dispose()


@pytest.fixture
def page():
    require_service(Path(CHROMIUM).exists(), f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1024, "height": 768}
        )
        yield context.new_page()
        context.close()
        browser.close()


# Every visible link, button, disclosure and radio or checkbox too small to tap with a finger:
# 44 by 44 CSS px, radios and checkboxes 40 (or their label 44). Links in running text
# (inside a paragraph) are exempt, as in GOV.UK's guidance.
SMALL_TARGETS = """() => {
  const small = [];
  const controls = document.querySelectorAll(
    "a[href], button, summary, input[type=radio], input[type=checkbox]");
  for (const control of controls) {
    const box = control.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || box.right <= 0 || box.bottom <= 0) continue;
    if (control.closest(".visually-hidden")) continue;
    if (getComputedStyle(control).visibility === "hidden") continue;
    if (control.matches("a") && control.closest("p")) continue;
    let need = 44;
    if (control.matches("input")) {
      need = 40;
      const label = control.labels && control.labels[0];
      const around = label && label.getBoundingClientRect();
      if (around && around.width >= 44 && around.height >= 44) continue;
    }
    if (box.width + 0.5 < need || box.height + 0.5 < need) {
      const name = (control.innerText || control.value || control.id || "").trim().slice(0, 40);
      small.push(`${control.tagName.toLowerCase()} "${name}" ` +
        `${box.width.toFixed(1)}x${box.height.toFixed(1)}`);
    }
  }
  return small;
}"""


def check_target_sizes(page) -> None:
    """Fail if anything to tap or click on the page is smaller than a fingertip's target."""
    page.wait_for_load_state("load")  # with its stylesheet, after a click's navigation
    small = page.evaluate(SMALL_TARGETS)
    size = page.viewport_size
    assert not small, f"{page.url} at {size['width']}x{size['height']}: " + "; ".join(small)


def check_accessibility(page) -> None:
    """Fail on any serious or critical axe-core violation on the page as it is now, or
    on anything too small to tap."""
    from axe_playwright_python.sync_playwright import Axe

    check_target_sizes(page)

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{page.url}\n" + "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in bad
    )


def set_up(page, live_server: str) -> None:
    """A fresh install: set up the organisation and its first administrator."""
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="Set up One-Page Profiles")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Name of your organisation").fill("Riverside Care Home")
    page.get_by_label("Your name").fill("Sam Keyworker")
    page.get_by_label("Your email address").fill("sam@riverside.example")
    page.get_by_label("Choose a password").fill("teapot lantern harbour")
    page.get_by_label("Type the password again").fill("teapot lantern harbour")
    page.get_by_role("button", name="Set up and sign in").click()
    expect(page.get_by_text("Riverside Care Home is set up")).to_be_visible()
    check_accessibility(page)


def test_a_new_user_makes_a_profile_and_downloads_a_one_page_pdf(live_server, page, tmp_path):
    set_up(page, live_server)
    page.get_by_role("link", name="Start a new profile").click()

    check_accessibility(page)
    page.get_by_role("button", name="Start the profile").click()
    assert page.get_by_text("Enter the person's full name").first.is_visible()
    check_accessibility(page)  # the error state too

    page.get_by_label("Full name").fill("Margaret Jones")
    page.get_by_label("Name they like to be called (optional)").fill("Peggy")
    page.get_by_label("Who is writing this profile? (optional)").fill("Peggy, with Sam")
    page.get_by_role("button", name="Start the profile").click()

    answers = {
        "What do people thank you for?": (
            "I always remember your birthday.\nI make people feel welcome in my room."
        ),
        "Who are the people you most want to see, and how often?": (
            "My daughter Ann visits every Tuesday and Sunday."
        ),
        "What must people know to keep you well and safe?": (
            "Check my hearing aids are in and switched on before you talk to me."
        ),
    }
    for question, answer in answers.items():
        check_accessibility(page)
        page.get_by_label(question).fill(answer)
        page.get_by_role("button", name="Save and continue").click()

    check_accessibility(page)
    photo = tmp_path / "peggy.jpg"
    Image.new("RGB", (900, 1200), (180, 140, 90)).save(photo, "JPEG")
    page.get_by_label("Choose a photo").set_input_files(str(photo))
    page.get_by_label("Describe the photo").fill("Peggy laughing in her garden")
    page.get_by_role("button", name="Save and continue").click()
    # A new photo: the page stays to show how it will print, whole unless chosen otherwise.
    expect(page.get_by_text("Photo saved. Choose how it prints, then continue.")).to_be_visible()
    expect(page.get_by_label("Show the whole photo")).to_be_checked()
    page.get_by_role("button", name="Save and continue").click()

    # Agreement is asked once the profile is written, just before checking and printing.
    expect(page.get_by_role("heading", name="Agreement", exact=True)).to_be_visible()
    check_accessibility(page)
    # The date is asked as GOV.UK asks, filled with today; the relationship box shows only
    # for the answer it belongs to.
    agreed_on = page.get_by_role("group", name="Date they agreed")
    expect(agreed_on.get_by_label("Day")).to_have_value(str(date.today().day))
    expect(agreed_on.get_by_label("Year")).to_have_value(str(date.today().year))
    relationship = page.get_by_label("Their relationship to the person")
    expect(relationship).to_be_hidden()
    page.get_by_label("Someone acted for them").check()
    expect(relationship).to_be_visible()
    check_accessibility(page)
    page.get_by_label("The person agreed themselves").check()
    expect(relationship).to_be_hidden()
    page.get_by_label("Name of the person who agreed").fill("Margaret Jones")
    page.get_by_role("button", name="Save and continue").click()

    assert page.get_by_role("heading", name="Check and print").is_visible()
    assert page.get_by_text("This profile fits on one page").is_visible()
    check_accessibility(page)
    page.get_by_label("US Letter").check()  # chosen just before downloading: no separate save
    review_by = page.get_by_role("group", name="Review by")
    review_by.get_by_label("Day").fill("31")
    review_by.get_by_label("Month").fill("2")
    review_by.get_by_label("Year").fill(NEXT_YEAR)
    page.get_by_role("button", name="Save and download the PDF").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Review date must be a real date")).to_be_visible()
    check_accessibility(page)  # the date's error state too
    page.get_by_role("group", name="Review by").get_by_label("Day").fill("26")
    with page.expect_download() as download:
        page.get_by_role("button", name="Save and download the PDF").click()
    # The page says what was made, and the corrected date is no longer a problem.
    expect(
        page.get_by_text("PDF made for Margaret Jones at 14 pt on US Letter paper.")
    ).to_be_visible()
    expect(page.get_by_text("There is a problem")).to_have_count(0)
    check_accessibility(page)
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    text = pdf.pages[0].extract_text()
    for line in (
        "Margaret Jones",
        "I always remember your birthday.",
        "My daughter Ann visits every Tuesday and Sunday.",
        "Check my hearing aids are in and switched on",
    ):
        assert line in " ".join(text.split())

    page.get_by_role("button", name="Save and mark as ready to print").click()
    expect(page.get_by_text("Profile marked as ready to print.")).to_be_visible()
    page.get_by_role("link", name="Profiles", exact=True).first.click()
    assert page.get_by_text("Ready", exact=True).is_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Email address").fill("sam@riverside.example")
    page.get_by_label("Password").fill("teapot lantern harbour")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Margaret Jones (Peggy)")).to_be_visible()


def test_an_administrator_invites_a_colleague_who_edits_a_profile(live_server, page):
    page.clock.install()  # lets the test move the page's clock on while someone types
    set_up(page, live_server)
    page.get_by_role("link", name="Start a new profile").click()
    page.get_by_label("Full name").fill("Margaret Jones")
    page.get_by_role("button", name="Start the profile").click()
    page.get_by_label("What do people thank you for?").fill("I always remember your birthday.")
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Staff").click()
    check_accessibility(page)
    page.get_by_label("Their name").fill("Jo Carer")
    page.get_by_label("Their email address").fill("jo@riverside.example")
    page.get_by_role("button", name="Make an invitation link").click()
    expect(page.get_by_role("heading", name="Invitation for Jo Carer")).to_be_visible()
    check_accessibility(page)
    link = page.get_by_label("Invitation link").input_value()

    # Another organisation on the same install, with its own administrator to invite.
    page.get_by_role("link", name="Organisations").click()
    check_accessibility(page)
    page.get_by_label("Name of the organisation").fill("Bryn Home Care")
    page.get_by_label("Their administrator's name").fill("Ffion Jones")
    page.get_by_label("Their administrator's email address").fill("ffion@bryn.example")
    page.get_by_role("button", name="Add the organisation and make an invitation link").click()
    expect(page.get_by_role("heading", name="Invitation for Ffion Jones")).to_be_visible()
    expect(page.get_by_role("cell", name="Bryn Home Care")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    expect(page.get_by_role("heading", name="Join Riverside Care Home")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Choose a password").fill("marmalade window ferry")
    page.get_by_label("Type the password again").fill("marmalade window ferry")
    page.get_by_role("button", name="Choose password and sign in").click()
    expect(page.get_by_text("Welcome, Jo Carer.")).to_be_visible()
    # Staff do not manage staff or organisations.
    expect(page.get_by_role("link", name="Staff")).to_have_count(0)
    expect(page.get_by_role("link", name="Organisations")).to_have_count(0)

    page.get_by_role("link", name="Margaret Jones", exact=True).click()
    field = page.get_by_label("Who are the people you most want to see, and how often?")
    field.fill("My daughter Ann visits every Tuesday ")
    # Six minutes of careful typing later, the page tells the server she is still here.
    page.clock.fast_forward("06:00")
    with page.expect_response("**/account/still-here") as still_here:
        field.press_sequentially("and Sunday.")
    assert still_here.value.status == 204
    assert field.input_value() == "My daughter Ann visits every Tuesday and Sunday."
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("link", name="Profiles", exact=True).first.click()
    page.get_by_role("link", name="Preview Margaret Jones").click()
    preview = page.frame_locator('iframe[title="Preview of the printed profile"]')
    expect(preview.get_by_text("My daughter Ann visits every Tuesday and Sunday.")).to_be_visible()

    # Her own staff profile, from her account page.
    page.get_by_role("link", name="Your account").click()
    check_accessibility(page)
    page.get_by_role("button", name="Start your staff profile").click()
    expect(page.get_by_text("Your staff profile is started.")).to_be_visible()
    check_accessibility(page)


PHONE = {"width": 375, "height": 667}
TABLET = {"width": 768, "height": 1024}

# Words of the preview's text that are split over two lines (hyphenated or not).
SPLIT_WORDS = """() => {
  const split = [];
  const walker = document.createTreeWalker(document.querySelector(".sheet"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) split.push(word[0]);
    }
  }
  return split;
}"""

# The fonts a page's own stylesheets declare without font-display: swap (text invisible
# until they load).
FONTS_WITHOUT_SWAP = """() => {
  const missing = [];
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) {
      if (!(rule instanceof CSSFontFaceRule)) continue;
      const style = rule.style;
      if (style.getPropertyValue("font-display") !== "swap") {
        missing.push(style.getPropertyValue("font-family") + " " +
          style.getPropertyValue("font-weight"));
      }
    }
  }
  return missing;
}"""


def sign_in(page, live_server: str) -> None:
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("sam@riverside.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_on_a_phone_and_a_tablet_pages_fit_and_are_easy_to_tap(
    live_server, page, create_account, create_profile, tmp_path
):
    create_account(email="jo.carer@riverside.example", name="Jo Carer", role="staff")
    pid = create_profile(
        name="Margaret Okafor",
        statements={
            "appreciation": ["I always remember your birthday."],
            "support": ["Check my hearing aids are in and switched on before you talk to me."],
        },
    )
    page.set_viewport_size(PHONE)
    page.goto(live_server + "/")
    # Opening the app signed out is a welcome, not a warning.
    expect(page.get_by_text("helps care teams write down what matters")).to_be_visible()
    expect(page.get_by_text("Sign in to see that page")).to_have_count(0)
    check_accessibility(page)
    sign_in(page, live_server)
    check_accessibility(page)

    # The staff table fits the phone: nothing cut off, no sideways scrolling.
    page.get_by_role("link", name="Staff").click()
    check_accessibility(page)
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), "the table is cut off"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for shown in (
        page.get_by_role("cell", name="Administrator"),
        page.get_by_role("cell", name="jo.carer@riverside.example"),
        page.get_by_role("button", name="New sign-in link for Jo Carer"),
    ):
        box = shown.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], shown

    page.get_by_role("link", name="New profile").click()
    check_accessibility(page)

    # A step on a tablet: its examples are folded away, so it is a screen or two long.
    # Measured below the site's header, whose navigation wraps as an account's pages grow.
    page.set_viewport_size(TABLET)
    page.goto(f"{live_server}/profiles/{pid}/steps/important")
    check_accessibility(page)
    step = "document.documentElement.scrollHeight - document.querySelector('main').offsetTop"
    assert page.evaluate(step) < 2900
    example = page.get_by_text("My daughter Ann visits every Tuesday and Sunday")
    expect(example).to_be_hidden()
    page.get_by_text("Show examples").first.click()
    expect(example).to_be_visible()
    check_accessibility(page)

    photo = tmp_path / "margaret.jpg"
    Image.new("RGB", (900, 1200), (180, 140, 90)).save(photo, "JPEG")
    page.goto(f"{live_server}/profiles/{pid}/steps/photo")
    page.get_by_label("Choose a photo").set_input_files(str(photo))
    page.get_by_label("Describe the photo").fill("Margaret in her garden")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()  # past the choice of crop
    expect(page.get_by_role("heading", name="Agreement", exact=True)).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Save and continue").click()  # not agreed yet
    expect(page.get_by_role("heading", name="Check and print")).to_be_visible()
    check_accessibility(page)

    # The preview on a phone: no word is broken, and its text shows before its fonts load.
    page.set_viewport_size(PHONE)
    page.reload()
    check_accessibility(page)
    frame = page.frame_locator('iframe[title="Preview of the printed profile"]')
    expect(frame.get_by_role("heading", name="Margaret Okafor")).to_be_visible()
    preview = next(f for f in page.frames if f.url.endswith("/preview"))
    preview.wait_for_load_state("load")
    assert preview.evaluate(SPLIT_WORDS) == []
    assert preview.evaluate(FONTS_WITHOUT_SWAP) == []
    assert page.evaluate(FONTS_WITHOUT_SWAP) == []


def test_the_sections_to_shorten_read_as_one_phrase(live_server, page, create_profile):
    long_support = [f"Statement {i}: " + "please read this carefully " * 20 for i in range(40)]
    pid = create_profile(statements={"support": long_support})
    sign_in(page, live_server)
    page.goto(f"{live_server}/profiles/{pid}/steps/review")
    item = page.locator(".overflow li").first
    expect(item).to_contain_text("How best to support me: remove about")
    # No gap between the section's name and its colon, as if there were a space before it.
    gap = item.evaluate(
        """li => {
          const button = li.querySelector("button");
          const name = document.createRange();
          name.selectNodeContents(button);
          const colon = document.createRange();
          colon.setStart(button.nextSibling, 0);
          colon.setEnd(button.nextSibling, 1);
          return colon.getBoundingClientRect().left - name.getBoundingClientRect().right;
        }"""
    )
    assert gap < 1
    check_accessibility(page)


def test_a_care_worker_reviews_an_overdue_profile_from_the_reviews_page(
    live_server, page, create_profile
):
    from datetime import timedelta

    pid = create_profile(name="Ada Brown", review_due=date.today() - timedelta(days=3))
    create_profile(name="Ben Carter", review_due=date.today() + timedelta(days=200))
    sign_in(page, live_server)
    expect(page.get_by_text("Review overdue")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Reviews", exact=True).click()
    expect(page.get_by_role("heading", name="Reviews", exact=True)).to_be_visible()
    expect(page.get_by_text("Ben Carter")).to_have_count(0)
    check_accessibility(page)
    page.get_by_role("link", name="Mark reviewed Ada Brown").click()
    check_accessibility(page)
    page.get_by_label("Who took part in the review? (optional)").fill("Ada and her son Tom")
    page.get_by_label("What did you find or change? (optional)").fill("Still right.")
    page.get_by_label("Year").fill(str(date.today().year - 1))
    page.get_by_role("button", name="Mark as reviewed").click()
    expect(
        page.get_by_role("link", name="Review date must be today or in the future")
    ).to_be_visible()
    check_accessibility(page)  # the error state too
    page.get_by_label("Year").fill(str(date.today().year + 1))
    page.get_by_role("button", name="Mark as reviewed").click()
    expect(page.get_by_text("Review of Ada Brown recorded.")).to_be_visible()
    expect(page.get_by_text("No profile is overdue for review.")).to_be_visible()
    page.goto(f"{live_server}/profiles/{pid}/steps/agree")
    check_accessibility(page)
    page.goto(f"{live_server}/profiles/{pid}/steps/review")
    expect(
        page.get_by_text("by Sam Keyworker, with Ada and her son Tom: Still right.")
    ).to_be_visible()
    check_accessibility(page)
    # From the check page of an overdue profile, its choices are saved on the way.
    overdue = create_profile(name="Cara Davies", review_due=date.today() - timedelta(days=1))
    page.goto(f"{live_server}/profiles/{overdue}/steps/review")
    expect(page.get_by_text("This profile's review is overdue")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Save and mark reviewed").first.click()
    expect(
        page.get_by_role("heading", name="Mark the profile of Cara Davies reviewed")
    ).to_be_visible()
    # Marked reviewed, the page goes back to the profile it was started from.
    page.get_by_role("button", name="Mark as reviewed").click()
    expect(page.get_by_text("Review of Cara Davies recorded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Check and print")).to_be_visible()


def test_two_people_change_the_same_statement_and_combine_their_words(
    live_server, page, create_profile, create_account
):
    create_account(email="jo@riverside.example", role="staff", name="Jo Carer")
    pid = create_profile(statements={"support": ["Knock.", "Tea with milk."]})
    # Jo, on a tablet of her own.
    other = page.context.browser.new_context(viewport={"width": 768, "height": 1024})
    jo = other.new_page()
    sign_in(page, live_server)
    jo.goto(live_server + "/sign-in")
    jo.get_by_label("Email address").fill("jo@riverside.example")
    jo.get_by_label("Password").fill(PASSWORD)
    jo.get_by_role("button", name="Sign in").click()
    for person in (page, jo):
        person.goto(f"{live_server}/profiles/{pid}/steps/support")
    page.get_by_label("Statement 1", exact=True).fill("Knock and wait for an answer.")
    page.get_by_role("button", name="Save and stay on this page").click()
    expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    jo.get_by_label("Statement 1", exact=True).fill("Knock twice.")
    jo.get_by_label("Statement 2", exact=True).fill("Tea with milk, no sugar.")
    jo.get_by_role("button", name="Save and continue").click()
    changed = jo.get_by_role("heading", name="Someone else changed the same statement")
    expect(changed).to_be_visible()
    expect(jo.get_by_text("Their version, saved by Sam Keyworker on")).to_be_visible()
    check_accessibility(jo)
    jo.get_by_label("Keep both, combined as in the box below").check()
    jo.get_by_label("Both versions, to combine").fill("Knock twice, then wait for an answer.")
    jo.get_by_role("button", name="Save and stay on this page").click()
    expect(jo.get_by_text("Your changes are saved.")).to_be_visible()
    expect(jo.get_by_label("Statement 1", exact=True)).to_have_value(
        "Knock twice, then wait for an answer."
    )
    expect(jo.get_by_label("Statement 2", exact=True)).to_have_value("Tea with milk, no sugar.")
    other.close()


def test_a_hospital_passports_key_facts_are_checked_then_printed_anyway(
    live_server, page, create_profile
):
    pid = create_profile(
        kind="hospital",
        name="Margaret Okafor",
        statements={"must_know": ["I am allergic to penicillin: it gives me a rash."]},
    )
    sign_in(page, live_server)
    page.goto(f"{live_server}/profiles/{pid}/steps/facts")
    expect(page.get_by_role("heading", name="Key facts")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("NHS number (optional)").fill("943 476 5918")
    page.get_by_label("Next of kin's phone number (optional)").fill("07700 900123 (after 6pm)")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("the last digit does not match the others").first).to_be_visible()
    check_accessibility(page)  # the error state too
    # What was typed is still there to correct.
    expect(page.get_by_label("Next of kin's phone number (optional)")).to_have_value(
        "07700 900123 (after 6pm)"
    )
    page.get_by_label("NHS number (optional)").fill("943-476-5919")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Things you must know about me")).to_be_visible()

    page.goto(f"{live_server}/profiles/{pid}/steps/review")
    expect(page.get_by_text("NHS number: 943 476 5919")).to_be_visible()
    expect(page.get_by_text("My likes and dislikes has no statements yet.")).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Print anyway").click()
    expect(page.get_by_text("PDF made for Margaret Okafor")).to_be_visible()
    text = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages[0].extract_text()
    assert "943 476 5919" in " ".join(text.split())


def test_an_administrator_brands_the_prints_and_a_photos_crop_is_chosen_by_sight(
    live_server, page, create_profile, tmp_path
):
    pid = create_profile(name="Margaret Okafor", statements={"support": ["Knock first."]})
    sign_in(page, live_server)
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Organisation settings")).to_be_visible()
    check_accessibility(page)

    # Typing a colour previews it, and the picker follows the text box.
    colour = page.get_by_label("Accent colour", exact=True)
    colour.fill("#AAAAAA")
    expect(page.get_by_text("Preview of #aaaaaa.")).to_be_visible()
    assert page.get_by_label("Or pick the colour").input_value() == "#aaaaaa"
    page.get_by_role("button", name="Save the colour").click()
    expect(page.get_by_role("link", name="This colour is too light to read")).to_be_visible()
    check_accessibility(page)  # the error state too
    page.get_by_label("Accent colour", exact=True).fill("#1d70b8")
    page.get_by_role("button", name="Save the colour").click()
    expect(page.get_by_text("The accent colour #1d70b8 is saved.")).to_be_visible()
    swatch = page.locator(".accent-preview__swatch")
    assert swatch.evaluate("s => getComputedStyle(s).backgroundColor") == "rgb(29, 112, 184)"

    logo = tmp_path / "logo.png"
    Image.new("RGB", (400, 160), (29, 112, 184)).save(logo, "PNG")
    page.get_by_label("Choose a logo").set_input_files(str(logo))
    page.get_by_role("button", name="Save the logo").click()
    expect(page.get_by_text("The logo is saved.")).to_be_visible()
    expect(page.get_by_role("img", name="Riverside Care Home")).to_be_visible()
    check_accessibility(page)

    photo = tmp_path / "margaret.jpg"
    Image.new("RGB", (900, 1200), (180, 140, 90)).save(photo, "JPEG")
    page.goto(f"{live_server}/profiles/{pid}/steps/photo")
    page.get_by_label("Choose a photo").set_input_files(str(photo))
    page.get_by_label("Describe the photo").fill("Margaret in her garden")
    page.get_by_role("button", name="Save and continue").click()
    # A new photo: the page stays on the choice of crop, the whole photo chosen.
    expect(page.get_by_label("Show the whole photo")).to_be_checked()
    check_accessibility(page)
    page.get_by_label("A square from the top").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Agreement", exact=True)).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Check and print")).to_be_visible()
    page.get_by_role("button", name="Save and go to Photo").click()
    expect(page.get_by_label("A square from the top")).to_be_checked()


def test_an_administrator_prints_a_group_and_watches_it_reach_the_end(
    live_server, page, create_profile
):
    support = ["Please knock and wait for me to answer before you come into my room."]
    for name in ("Cara Davies", "Ada Brown", "Ben Carter"):
        create_profile(name=name, statements={"support": support})
    sign_in(page, live_server)
    page.get_by_role("link", name="Groups").first.click()
    check_accessibility(page)
    page.get_by_label("Name of the group").fill("Rowan unit")
    page.get_by_role("button", name="Make the group").click()
    expect(page.get_by_role("heading", name="Rowan unit")).to_be_visible()
    for name in ("Ada Brown", "Ben Carter", "Cara Davies"):
        page.get_by_label(name).check()
    check_accessibility(page)
    page.get_by_role("button", name="Save who is in the group").click()
    expect(page.get_by_text("Saved: 3 profiles in “Rowan unit”")).to_be_visible()

    page.get_by_role("link", name="Print everyone in this group").click()
    expect(page.get_by_label("Group: Rowan unit (3 profiles)")).to_be_checked()
    check_accessibility(page)
    page.get_by_role("button", name="Start printing").click()
    expect(page.get_by_role("heading", name="Printing: Group: Rowan unit")).to_be_visible()
    check_accessibility(page)  # while it runs, or as it ends
    # The page follows the job by itself, and offers the booklet at the end.
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible(timeout=90_000)
    expect(page.locator("progress")).to_have_attribute("value", "3")
    expect(page.locator("[data-job-progress-text]")).to_have_text("3 of 3")
    # The end is said in a message of its own and the title, not by the progress words.
    expect(page.get_by_role("status").filter(has_text="Finished")).to_be_visible()
    expect(page).to_have_title(
        "Finished \N{EN DASH} Group: Rowan unit \N{EN DASH} One-Page Profiles"
    )
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(pdf.pages) == 3
    assert ["Ada Brown" in p.extract_text() for p in pdf.pages] == [True, False, False]
    assert "Cara Davies" in pdf.pages[2].extract_text()
    page.get_by_role("link", name="Print many").first.click()
    expect(page.get_by_role("heading", name="Recent print runs")).to_be_visible()
    check_accessibility(page)


def test_a_contributor_adds_through_a_link_and_staff_accept_it_into_the_pdf(
    live_server, page, create_profile
):
    pid = create_profile(
        name="Margaret Jones",
        preferred_name="Peggy",
        statements={
            "important": ["My daughter Ann visits every Tuesday."],
            "support": ["Please knock and wait for me to answer."],
        },
    )
    sign_in(page, live_server)
    page.goto(f"{live_server}/profiles/{pid}/steps/review")
    page.get_by_role("link", name="Ask family, friends or colleagues to contribute").click()
    check_accessibility(page)
    page.get_by_role("button", name="Make an invitation link").click()  # no label: optional
    expect(page.get_by_role("heading", name="Your invitation link")).to_be_visible()
    check_accessibility(page)
    link = page.get_by_label("Invitation link").input_value()

    # Someone with no account, in a browser of their own.
    context = page.context.browser.new_context(viewport={"width": 1024, "height": 768})
    visitor = context.new_page()
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="Add to Peggy's one-page profile")).to_be_visible()
    check_accessibility(visitor)
    visitor.get_by_role("button", name="Send").click()
    expect(visitor.get_by_role("link", name="Enter your name")).to_be_visible()
    check_accessibility(visitor)  # the error state too
    visitor.get_by_label("Your name").fill("Ann Smith")
    visitor.get_by_label("How do you know Peggy?").fill("daughter")
    visitor.get_by_label("What do you like and admire about Peggy?").fill(
        "Mum makes everyone laugh at Sunday lunch."
    )
    visitor.get_by_role("button", name="Send").click()
    expect(visitor.get_by_role("heading", name="Thank you")).to_be_visible()
    check_accessibility(visitor)
    context.close()

    page.goto(f"{live_server}/profiles/{pid}/contributions")
    expect(page.get_by_role("heading", name="From Ann Smith (daughter)")).to_be_visible()
    check_accessibility(page)
    # Declined by a mis-tap, and put back at once.
    page.get_by_role("button", name="Decline what Ann Smith wrote").click()
    expect(page.get_by_text("Declined what Ann Smith (daughter) wrote")).to_be_visible()
    page.get_by_text("Declined (1)").click()
    expect(page.get_by_role("button", name="Put back in the queue")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("is back in the queue, waiting for you")).to_be_visible()
    page.get_by_label("What Ann Smith wrote").fill("I make everyone laugh at Sunday lunch.")
    page.get_by_role("button", name="Accept what Ann Smith wrote").click()
    expect(page.get_by_text("credited to Ann Smith (daughter)")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Back to check and print").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Save and download the PDF").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "I make everyone laugh at Sunday lunch." in " ".join(pdf.pages[0].extract_text().split())


def test_in_a_browser_a_removal_is_undone_and_an_old_version_restored(
    live_server, page, create_profile
):
    """The history page, its changes and the restore confirmation are checked with axe."""
    pid = create_profile(statements={"support": ["Knock first.", "Speak slowly."]})
    sign_in(page, live_server)
    page.goto(f"{live_server}/profiles/{pid}/steps/support")
    page.get_by_role("button", name="Remove statement 1").click()
    # Where the page lands, with the statements just under it.
    expect(page.get_by_text("Statement removed.")).to_be_in_viewport()
    check_accessibility(page)
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Statement put back.")).to_be_in_viewport()
    expect(page.get_by_label("Statement 1", exact=True)).to_have_value("Knock first.")

    page.get_by_label("Statement 2", exact=True).fill("Speak slowly and clearly.")
    page.get_by_role("button", name="Save and continue").click()
    page.goto(f"{live_server}/profiles/{pid}/steps/review")
    page.get_by_role("link", name="See the history of this profile").click()
    expect(page.get_by_role("heading", name="Changes from version 3 to version 4")).to_be_visible()
    expect(page.locator("ins")).to_contain_text("and clearly.")
    check_accessibility(page)
    page.get_by_label("Compare version").select_option("1")
    page.get_by_role("button", name="Show the changes").click()
    expect(page.get_by_role("heading", name="Changes from version 1 to version 4")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Restore this version (version 1)").click()
    expect(page.get_by_role("heading", name="Restore version 1?")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.get_by_text("Version 1 is restored as version 5.")).to_be_visible()
    check_accessibility(page)
