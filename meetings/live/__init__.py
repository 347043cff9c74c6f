"""The screens' live state and how it reaches them fast: `state` computes what every screen
shows, `feed` keeps it in the shared cache, `middleware` answers unchanged polls early,
`signals` raise the live version when something a screen shows is edited anywhere."""
