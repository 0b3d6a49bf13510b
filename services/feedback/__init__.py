"""What residents tell the guide, and how much it is read, without tracking anyone.

- `reports`: "Something wrong on this page?" (a choice and a short comment, with
  the page, its language and the day; nothing about who sent it) and "Was this
  page useful?", checked by a signed token and the request's origin instead of a
  cookie, and bounded per page and per connection.
- `counts`: page views, and useful / not useful answers, counted per day, page
  and language in the shared cache and written to the database as totals.
- `selectors`: what "Needs attention", the admin's charts and the About page read.
"""
