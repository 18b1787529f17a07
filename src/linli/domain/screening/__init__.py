"""Daily screening (每日排查) and the daily report (疫情日报): the rules, without Django.

``records``: what a valid screening record is (one problem per field, named);
``figures``: the daily report's figures and how they roll up street → district → city;
``quarantine``: planned ends, countdowns, overdue releases; ``deadlines``: when a level's
report is due; ``chart``: trend charts as SVG.
"""
