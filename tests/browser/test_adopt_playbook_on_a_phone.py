"""On a phone, a community secretary adopts the built-in playbook: one tap sets up the whole
task force; a group's page shows who is on, today's tasks and the process."""

from playwright.sync_api import expect

from tests.conftest import IN_COMMUNITY


def sign_in(page, url, username, next_url):
    page.goto(f"{url}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "linli-demo")
    page.get_by_role("button", name="登录").click()


def test_adopting_the_built_in_playbook_sets_up_a_working_task_force_in_one_step(
    phone, live_server, live_places
):
    from linli.accounts.models import User
    from linli.places.models import Place
    from linli.taskforce.models import Task, TaskForce

    community = Place.objects.get(code=IN_COMMUNITY)
    User.objects.create_user(
        username="secretary", password="linli-demo", role="community_secretary", place=community
    )
    sign_in(phone, live_server.url, "secretary", "/taskforce/")
    phone.locator("#own-taskforce").click()
    choice = phone.locator(".playbook-choice").filter(has_text="封控社区疫情应对专项工作组")
    choice.get_by_role("button", name="采用此工具包").click()

    expect(phone.locator(".group-card")).to_have_count(7)
    expect(phone.locator("#adopted")).to_contain_text("封控社区疫情应对专项工作组 v1")
    taskforce = TaskForce.objects.get(community=community)
    assert taskforce.groups.count() == 7

    # The task force works at once: add a task to logistics and see it on the group's page.
    phone.locator("#group-logistics h2 a").click()
    expect(phone.locator("#steps li")).to_have_count(3)
    expect(phone.locator("#steps")).to_contain_text("每天盘点并查看剩余天数")
    phone.locator("#add-member summary").click()
    phone.select_option("#add-member select[name=position]", label="仓库管理员")
    phone.fill("#add-member input[name=name]", "王库管")
    phone.check("#add-member input[name=is_lead]")
    phone.locator("#add-member button[type=submit]").click()
    expect(phone.locator("#members")).to_contain_text("王库管 · 仓库管理员")
    expect(phone.locator("#members")).to_contain_text("组长")

    phone.get_by_role("link", name="本组任务看板").click()
    phone.locator("#new-task summary").click()
    phone.fill("#new-task input[name=title]", "盘点口罩")
    phone.select_option("#new-task select[name=assignee]", index=1)
    phone.locator("#new-task button[type=submit]").click()
    expect(phone.locator("#column-open")).to_contain_text("盘点口罩")
    task = Task.objects.get()
    assert task.group.kind == "logistics" and task.assignee.name == "王库管"
    # nothing overflows the phone's width
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
