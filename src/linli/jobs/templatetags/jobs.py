from django import template

from linli.jobs import runner

register = template.Library()


@register.filter
def cancellable_by(job, user) -> bool:
    """``{% if job|cancellable_by:request.user %}``: offer Cancel only to who may use it."""
    return runner.may_cancel(user, job)
