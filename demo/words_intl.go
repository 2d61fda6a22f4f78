package demo

// intlCategories are the categories of non-English shows, in the order of each language's
// topics in intlGenres.
var intlCategories = [9][2]string{
	{"History", ""}, {"Science", ""}, {"Arts", "Food"}, {"Sports", "Soccer"},
	{"TV & Film", "Film Reviews"}, {"Music", ""}, {"Technology", ""},
	{"Society & Culture", "Places & Travel"}, {"Society & Culture", "Philosophy"},
}

// intlGenres builds a language's genres: one topic each, in intlCategories order.
func intlGenres(names, topics [9]string, subjects [9][3]string) []genre {
	gs := make([]genre, len(intlCategories))
	for i, c := range intlCategories {
		gs[i] = genre{category: c[0], weight: 1, names: names[i : i+1], topics: topics[i : i+1], subjects: subjects[i][:]}
		if c[1] != "" {
			gs[i].subs = []string{c[1]}
		}
	}
	return gs
}

var german = language{
	codes: []string{"de", "de-de", "de-at"},
	zones: []int{1},
	first: []string{"Jonas", "Lea", "Lukas", "Anna", "Felix", "Marie", "Jürgen", "Sören", "Katharina", "Maximilian", "Jörg", "Lena", "Björn", "Hanna"},
	last:  []string{"Müller", "Schäfer", "Weiß", "Krüger", "Böhm", "Hoffmann", "Schröder", "Becker", "Köhler", "Lehmann", "Groß", "Würth"},
	join:  " und ",
	genres: intlGenres(
		[9]string{"Geschichte", "Wissenschaft", "Küche", "Fußball", "Kino", "Musik", "Technik", "Reisen", "Philosophie"},
		[9]string{"Geschichte", "Wissenschaft", "das Kochen", "Fußball", "das Kino", "Musik", "Technik", "das Reisen", "Philosophie"},
		[9][3]string{
			{"die Geschichte der Eisenbahn", "das Leben im Mittelalter", "die Hanse und ihre Händler"},
			{"schwarze Löcher", "das Gedächtnis der Bäume", "Quantenphysik für Anfänger"},
			{"Brotbacken wie früher", "Omas Sonntagsbraten", "die perfekte Brezel"},
			{"die Kunst des Pressings", "Abstiegskampf in der Bundesliga", "Fußball in der Kreisliga"},
			{"Expressionismus im Stummfilm", "Filmmusik, die bleibt", "die besten Filme des Jahres"},
			{"die Geschichte des Krautrock", "Chorsingen für alle", "Schallplatten, die uns geprägt haben"},
			{"künstliche Intelligenz im Alltag", "Datenschutz für Einsteiger", "die Reparatur alter Geräte"},
			{"Wandern in den Alpen", "Nachtzüge nach Wien", "Radreisen entlang der Elbe"},
			{"die Kunst des Müßiggangs", "Glück und Zufall", "Kant am Küchentisch"},
		}),
	showTitles:    []string{"{T} für Neugierige", "Gespräche über {T}", "{T} am Küchentisch", "Kaffee & {T}", "Zwischen {T} und Alltag", "{T} im Ohr", "Die stille Werkstatt", "Feierabendgespräche", "Zwischen den Zeilen", "Hörsaal zu Hause"},
	showIntro:     []string{"{show} ist ein Podcast über {t} mit {h}.", "Ein Podcast über {t} – neugierig, gründlich und mit Humor. Mit {h}."},
	showMore:      []string{"Neue Folgen erscheinen {cad}.", "Mit Gästen, Hörerfragen und gelegentlichen Umwegen."},
	showLink:      `Alle Folgen und Shownotes: <a href="{link}">{site}</a>`,
	cadences:      [...]string{"werktags", "zweimal pro Woche", "jede Woche", "alle zwei Wochen", "einmal im Monat"},
	networks:      []string{"Hörwerk Köln", "Funkhaus Nord"},
	numbering:     []string{"Folge {n}: ", "#{n} – ", ""},
	with:          " mit ",
	episodeTitles: []string{"{S}", "{S}", "{S}: Was wir gelernt haben", "{S} – eine Spurensuche", "Über {s}", "Hörerfragen: {S}"},
	bonus:         "Extra: ",
	guestOpen:     []string{"In dieser Folge spricht {lead} mit <strong>{g}</strong> über {s}.", "Zu Gast ist <strong>{g}</strong>. Mit {lead} geht es um {s}."},
	soloOpen:      []string{"Diesmal geht es um {s}.", "{lead} nimmt sich heute {s} vor."},
	more:          []string{"Außerdem beantworten wir Hörerfragen.", "Viel Spaß beim Hören!", "Aufgenommen an einem verregneten Nachmittag in Köln.", "Dazu gibt es wie immer unsere Empfehlungen der Woche."},
	notes:         `Shownotes und Links: <a href="{link}episodes/{id}">{site}/episodes/{id}</a>`,
}

var french = language{
	codes: []string{"fr", "fr-fr", "fr-ca"},
	zones: []int{1, -5},
	first: []string{"Camille", "Léa", "Hugo", "Chloé", "Théo", "Émile", "Inès", "Mathéo", "Zoé", "Loïc", "Hélène", "François"},
	last:  []string{"Dubois", "Lefèvre", "Moreau", "Girard", "Rousseau", "Mercier", "Fontaine", "Chevalier", "Lemaître", "Bérenger", "Gaillard", "Pérez"},
	join:  " et ",
	genres: intlGenres(
		[9]string{"Histoire", "Sciences", "Cuisine", "Football", "Cinéma", "Musique", "Technologie", "Voyages", "Philosophie"},
		[9]string{"l'histoire", "les sciences", "la cuisine", "le football", "le cinéma", "la musique", "la technologie", "les voyages", "la philosophie"},
		[9][3]string{
			{"la vie quotidienne au Moyen Âge", "les cathédrales gothiques", "la Révolution française"},
			{"les trous noirs", "la mémoire des abeilles", "l'énergie des marées"},
			{"le pain au levain", "la recette du pot-au-feu", "les fromages oubliés"},
			{"le pressing à l'européenne", "la Coupe de France", "les petits clubs de province"},
			{"la Nouvelle Vague", "les musiques de films", "les films à voir cet été"},
			{"la chanson française", "le jazz manouche", "les disques qui nous ont marqués"},
			{"l'intelligence artificielle au quotidien", "la vie privée en ligne", "la réparation des vieux téléphones"},
			{"le train de nuit vers Vienne", "la randonnée dans les Pyrénées", "un été en Bretagne"},
			{"l'art de ne rien faire", "le bonheur selon Épicure", "la liberté et le hasard"},
		}),
	showTitles:    []string{"{T} sans filtre", "{T} pour les curieux", "{T} à la carte", "{T} & compagnie", "{T} au quotidien", "Le Quai des idées", "La Chambre d'écho", "Le Petit Atelier", "Café crème"},
	showIntro:     []string{"{show} : un podcast animé par {h}. Au programme : {t}, des invités et vos questions.", "Un podcast sur tout, et surtout sur ceci : {t}. Avec {h}."},
	showMore:      []string{"Nouveaux épisodes {cad}.", "Bonne écoute !"},
	showLink:      `Tous les épisodes : <a href="{link}">{site}</a>`,
	cadences:      [...]string{"chaque jour de la semaine", "deux fois par semaine", "chaque semaine", "toutes les deux semaines", "chaque mois"},
	networks:      []string{"Studio Hélice", "Onde Bleue"},
	numbering:     []string{"Épisode {n} : ", "#{n} – ", ""},
	with:          " avec ",
	episodeTitles: []string{"{S}", "{S}", "{S} : ce qu'on ne vous dit pas", "Tout savoir sur {s}", "{S}, l'enquête", "Vos questions sur {s}"},
	bonus:         "Hors-série : ",
	guestOpen:     []string{"Dans cet épisode, {lead} reçoit <strong>{g}</strong>. Au programme : {s}.", "<strong>{g}</strong> est l'invité·e de {lead}. Notre sujet du jour : {s}."},
	soloOpen:      []string{"Au programme aujourd'hui : {s}.", "{lead} vous raconte tout. Sujet du jour : {s}."},
	more:          []string{"Et comme d'habitude, on répond à vos questions.", "Bonne écoute !", "Enregistré un dimanche pluvieux à Lyon.", "Merci à tous pour vos messages après le dernier épisode."},
	notes:         `Les liens de l'épisode : <a href="{link}episodes/{id}">{site}/episodes/{id}</a>`,
}

var spanish = language{
	codes: []string{"es", "es-es", "es-mx"},
	zones: []int{1, -6},
	first: []string{"Lucía", "Mateo", "Sofía", "Martín", "Valentina", "Andrés", "Jimena", "José", "Ángela", "Íñigo", "Pilar", "Raúl"},
	last:  []string{"García", "Fernández", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Núñez", "Ibáñez", "Muñoz", "Ortega", "Castaño"},
	join:  " y ",
	genres: intlGenres(
		[9]string{"Historia", "Ciencia", "Cocina", "Fútbol", "Cine", "Música", "Tecnología", "Viajes", "Filosofía"},
		[9]string{"la historia", "la ciencia", "la cocina", "el fútbol", "el cine", "la música", "la tecnología", "los viajes", "la filosofía"},
		[9][3]string{
			{"la vida en la Edad Media", "la ruta de la seda", "los secretos de la Alhambra"},
			{"los agujeros negros", "la memoria de las abejas", "los volcanes de Canarias"},
			{"la paella perfecta", "el pan de masa madre", "la cocina de la abuela"},
			{"el arte del contraataque", "la cantera del club", "el fútbol de barrio"},
			{"la época de oro del cine mexicano", "las bandas sonoras", "los estrenos del verano"},
			{"el flamenco de hoy", "la historia del bolero", "los discos que nos marcaron"},
			{"la inteligencia artificial en casa", "la privacidad en internet", "la reparación de teléfonos viejos"},
			{"el Camino de Santiago", "un tren nocturno a Lisboa", "la Patagonia en invierno"},
			{"el arte de no hacer nada", "la felicidad según los estoicos", "el azar y la libertad"},
		}),
	showTitles:    []string{"{T} sin filtro", "{T} para curiosos", "{T} a fondo", "{T} y compañía", "Hablemos de {T}", "La Sobremesa", "Café de medianoche", "El Rincón del Búho", "Cuaderno de bitácora"},
	showIntro:     []string{"{show} es un podcast conducido por {h}. Temas: {t}, invitados y vuestras preguntas.", "Charlas sin prisas sobre {t}, con {h}."},
	showMore:      []string{"Nuevos episodios {cad}.", "¡Buena escucha!"},
	showLink:      `Todos los episodios: <a href="{link}">{site}</a>`,
	cadences:      [...]string{"cada día laborable", "dos veces por semana", "cada semana", "cada dos semanas", "cada mes"},
	networks:      []string{"Ondas del Sur", "Estudio Ñandú"},
	numbering:     []string{"Episodio {n}: ", "#{n} – ", "Ep. {n}: "},
	with:          " con ",
	episodeTitles: []string{"{S}", "{S}", "{S}: lo que nadie te cuenta", "Preguntas sobre {s}", "{S}, a fondo"},
	bonus:         "Especial: ",
	guestOpen:     []string{"En este episodio, {lead} conversa con <strong>{g}</strong>. Tema de hoy: {s}.", "Nos visita <strong>{g}</strong> para charlar con {lead}. Tema: {s}."},
	soloOpen:      []string{"Tema de hoy: {s}.", "{lead} nos cuenta todo. Tema del episodio: {s}."},
	more:          []string{"Y como siempre, respondemos a vuestras preguntas.", "¡Buena escucha!", "Grabado una tarde lluviosa en Sevilla.", "Gracias por todos vuestros mensajes."},
	notes:         `Notas y enlaces: <a href="{link}episodes/{id}">{site}/episodes/{id}</a>`,
}

var portuguese = language{
	codes: []string{"pt", "pt-br", "pt-pt"},
	zones: []int{-3, 0},
	first: []string{"João", "Ana", "Luíza", "Thiago", "Beatriz", "Gonçalo", "Inês", "Caio", "Júlia", "Antônio", "Mariana", "Sebastião"},
	last:  []string{"Silva", "Santos", "Oliveira", "Souza", "Conceição", "Gonçalves", "Araújo", "Simões", "Magalhães", "Brandão", "Falcão", "Lobo"},
	join:  " e ",
	genres: intlGenres(
		[9]string{"História", "Ciência", "Culinária", "Futebol", "Cinema", "Música", "Tecnologia", "Viagens", "Filosofia"},
		[9]string{"a história", "a ciência", "a culinária", "o futebol", "o cinema", "a música", "a tecnologia", "as viagens", "a filosofia"},
		[9][3]string{
			{"a vida na Idade Média", "as grandes navegações", "os segredos de Ouro Preto"},
			{"os buracos negros", "a memória das abelhas", "a Amazônia vista do espaço"},
			{"o pão de queijo perfeito", "a feijoada de domingo", "a cozinha da vovó"},
			{"a arte do drible", "o futebol de várzea", "a Copa do Brasil"},
			{"o Cinema Novo", "as trilhas sonoras", "os lançamentos do verão"},
			{"a bossa nova", "a história do samba", "os discos que nos marcaram"},
			{"a inteligência artificial no dia a dia", "a privacidade na internet", "o conserto de celulares antigos"},
			{"uma viagem de trem por Portugal", "as praias do Nordeste", "o Pantanal na seca"},
			{"a arte de não fazer nada", "a felicidade segundo os estoicos", "o acaso e a liberdade"},
		}),
	showTitles:    []string{"{T} sem filtro", "{T} para curiosos", "{T} a fundo", "{T} & Cia.", "Papo de {T}", "Conversa de Varanda", "Café com Pão", "Maré Alta", "Ruído Branco"},
	showIntro:     []string{"{show} é um podcast apresentado por {h} sobre {t}.", "Conversas sem pressa sobre {t}, com {h}."},
	showMore:      []string{"Novos episódios {cad}.", "Bom episódio!"},
	showLink:      `Todos os episódios: <a href="{link}">{site}</a>`,
	cadences:      [...]string{"todos os dias úteis", "duas vezes por semana", "toda semana", "a cada duas semanas", "todo mês"},
	networks:      []string{"Rádio Jabuticaba", "Estúdio Maré"},
	numbering:     []string{"Episódio {n}: ", "#{n} – ", "Ep. {n} – "},
	with:          " com ",
	episodeTitles: []string{"{S}", "{S}", "{S}: o que ninguém te conta", "Tudo sobre {s}", "{S}, sem rodeios"},
	bonus:         "Extra: ",
	guestOpen:     []string{"Neste episódio, {lead} conversa com <strong>{g}</strong> sobre {s}.", "Nossa visita de hoje é <strong>{g}</strong>, que conversa com {lead} sobre {s}."},
	soloOpen:      []string{"Hoje o assunto é {s}.", "{lead} fala sobre {s}."},
	more:          []string{"E, como sempre, respondemos às perguntas de vocês.", "Bom episódio!", "Gravado numa tarde de chuva em Belo Horizonte.", "Obrigado por todas as mensagens."},
	notes:         `Links e notas do episódio: <a href="{link}episodes/{id}">{site}/episodes/{id}</a>`,
}
