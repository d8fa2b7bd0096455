"""Who is asking: the client's address as the site sees it."""


def client_ip(request):
    """The address of the client that sent `request`, as a string (IPv4 or IPv6).

    The address of the TCP peer (REMOTE_ADDR): the site trusts no forwarding header. Returns ""
    when the server gave none.
    """
    return request.META.get("REMOTE_ADDR", "")
