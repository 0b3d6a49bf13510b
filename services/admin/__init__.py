"""The caseworkers' admin: the site (site.py) and the content's pages (options.py).

options.py registers on the site, so it is imported once the site exists, by
`GuideAdminConfig.ready()` (services/apps.py), not from here.
"""
